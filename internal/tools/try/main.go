package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/logpath/logpath/delivery"
	"github.com/logpath/logpath/model"
)

func main() {
	data, _ := os.ReadFile(os.Args[1])
	m, err := model.ReadSnapshot(os.Args[1], data)
	if err != nil {
		fmt.Println(err)
		os.Exit(2)
	}
	out, _ := json.MarshalIndent(delivery.Analyze(m), "", "  ")
	fmt.Println(string(out))
}
